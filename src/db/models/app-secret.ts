import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** A secret the server generated for itself (see the migration). */
export class AppSecret extends Model<InferAttributes<AppSecret>, InferCreationAttributes<AppSecret>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare value: string;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof AppSecret {
    return AppSecret.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        name: { type: DataTypes.STRING(64), allowNull: false },
        value: { type: DataTypes.STRING(128), allowNull: false },
        createdAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'app_secrets', modelName: 'AppSecret', updatedAt: false },
    );
  }
}
